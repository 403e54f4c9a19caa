import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

application = get_wsgi_application()

# What loading the project made (about 320,000 objects: Django, Wagtail, the apps, the URLconf) lives as long as the
# process: moved out of the collector's generations, a full collection no longer walks it (decision 0020).
gc.freeze()
