"""What editors may place in a service page's *Ulteriori informazioni*: text, documents, a call-out, and FAQ
entries (chosen ones, or those of a topic). The model's fixed sections stay where they are; these blocks live
inside one of them."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("tipo"), default="note",
        choices=[("note", _("Informazione")), ("warning", _("Attenzione")), ("success", _("Buono a sapersi"))],
    )
    title = blocks.CharBlock(label=_("titolo"), max_length=80)
    text = blocks.RichTextBlock(label=_("testo"), features=["bold", "italic", "link", "ul"])

    class Meta:
        label = _("Riquadro in evidenza")
        template = "blocks/callout.html"


class FaqBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("titolo"), required=False, max_length=120)
    entries = blocks.ListBlock(SnippetChooserBlock("home.Faq"), label=_("domande scelte"), required=False, min_num=0)
    topic = SnippetChooserBlock("home.Topic", label=_("oppure tutte le domande dell'argomento"), required=False)

    class Meta:
        label = _("Domande frequenti")
        template = "blocks/faq.html"

    def clean(self, value):
        value = super().clean(value)
        if not value.get("entries") and not value.get("topic"):
            raise StructBlockValidationError(block_errors={
                "topic": ValidationError(_("Scegli almeno una domanda o un argomento.")),
            })
        return value

    def get_context(self, value, parent_context=None):
        from .faq import Faq

        context = super().get_context(value, parent_context)
        chosen = [faq for faq in value.get("entries") or [] if faq is not None]
        if value.get("topic"):
            seen = {faq.pk for faq in chosen}
            chosen += [faq for faq in Faq.objects.filter(topic=value["topic"]).order_by("sort_order", "id") if faq.pk not in seen]
        context["faqs"] = chosen
        return context


class MoreInfoBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(label=_("Paragrafo"))
    document = DocumentChooserBlock(label=_("Documento"), template="blocks/document.html")
    callout = CalloutBlock()
    faq = FaqBlock()

    class Meta:
        label = _("Ulteriori informazioni")
