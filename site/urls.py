"""A Flask whose ``url_for`` remembers the URLs it built.

Every page of this site builds the same few dozen URLs: the navbar's links,
the versioned addresses of the stylesheets and scripts, the forms' actions.
Werkzeug builds each one afresh (a few microseconds apiece, a fifth of a
page's rendering). A URL depends only on the endpoint, its values, and where
the request reached the site (script root, host, scheme); this site's
``url_defaults`` add nothing that changes while a process runs (the asset
versions are hashed once, see ``cookiesite.assets``). So the built URL is
kept, under exactly those keys, and handed out again.
"""

from flask import Flask
from flask import has_request_context
from flask import request

#: The most URLs kept per process; the cache starts over beyond it, so a
#: stream of distinct URLs (say, one per page of a long list) cannot grow it.
MAX_URLS = 2048


def _special(values: dict) -> bool:
    """Whether ``url_for`` was asked for an external URL, an anchor, a method
    or a scheme (``_external=True`` and friends)."""
    return any(value is not None for name, value in values.items() if name[0] == "_")


class Site(Flask):
    """Flask, with :meth:`url_for` remembering what it built in a request."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._built_urls: dict[tuple, str] = {}

    def url_for(self, endpoint: str, /, **values) -> str:
        """Flask's ``url_for``; a URL built before in the same place is reused.

        External URLs, anchors and forced methods or schemes, and URLs built
        outside a request are always built afresh.
        """
        if not has_request_context() or (values and _special(values)):
            return super().url_for(endpoint, **values)
        environ = request.environ
        key = (
            # A relative endpoint (".static") belongs to the request's blueprint.
            request.blueprint if endpoint[:1] == "." else None,
            endpoint,
            environ.get("SCRIPT_NAME", ""),
            environ.get("HTTP_HOST", ""),
            environ["wsgi.url_scheme"],
        )
        if values:
            key += tuple(sorted(i for i in values.items() if i[0][0] != "_"))
        try:
            return self._built_urls[key]
        except KeyError:
            pass
        except TypeError:  # a value that cannot be a key (a list): just build it
            return super().url_for(endpoint, **values)
        url = super().url_for(endpoint, **values)
        if len(self._built_urls) >= MAX_URLS:
            self._built_urls.clear()
        self._built_urls[key] = url
        return url
