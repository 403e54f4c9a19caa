"""The site's search backend: Wagtail's database backend (PostgreSQL full text, SQLite FTS5), given plain terms.

What a person types is a sentence, not a query: SQLite FTS5 reads quotes, `-`, `*`, `:` and NEAR as syntax and fails
on `Ho letto "l'avviso"` (a 500 in the admin's searches and the URP's FAQ suggestions). Every query — the site search,
the FAQ provider, every search box of the admin — reaches the engine as its words only (services/core/parsing.py)."""

from modelsearch.backends.database import SearchBackend as database_backend
from modelsearch.query import And, Boost, Fuzzy, Not, Or, Phrase, PlainText

from services.core.parsing import plain_terms


def plain(query):
    if isinstance(query, str):
        return plain_terms(query)
    if isinstance(query, PlainText):
        return PlainText(plain_terms(query.query_string), operator=query.operator, boost=query.boost)
    if isinstance(query, Phrase):
        return Phrase(plain_terms(query.query_string))
    if isinstance(query, Fuzzy):
        return Fuzzy(plain_terms(query.query_string), operator=query.operator, unaccent=query.unaccent)
    if isinstance(query, Boost):
        return Boost(plain(query.subquery), query.boost)
    if isinstance(query, And | Or):
        return type(query)([plain(q) for q in query.subqueries])
    if isinstance(query, Not):
        return Not(plain(query.subquery))
    return query


_plain_classes: dict[type, type] = {}  # one subclass per database backend, made once (backends are made per search)


def _plain_class(base: type) -> type:
    if base not in _plain_classes:
        class PlainTermsBackend(base):
            def search(self, query, *args, **kwargs):
                return super().search(plain(query), *args, **kwargs)

            def autocomplete(self, query, *args, **kwargs):
                return super().autocomplete(plain(query), *args, **kwargs)

        _plain_classes[base] = PlainTermsBackend
    return _plain_classes[base]


def SearchBackend(params):  # noqa: N802 - Wagtail's name for a backend factory
    backend = database_backend(params)
    backend.__class__ = _plain_class(type(backend))
    return backend
