"""The reports: a small analytics area counted by its own path-scoped cookies.

``tracking`` sets the ``visitor`` and ``visit`` cookies and records page
views (only with consent), ``models`` holds the page views and their daily
rollup, ``stats`` reads the rollup, ``charts`` draws it as SVG, and ``views``
serves the pages.
"""
