"""The cookie lab at ``/lab``: visitors set, update and delete cookies of their
own with every parameter of ``response.set_cookie``, and watch what the
browser does with them.

``family`` declares the lab's cookies (the ``lab_`` family) and the rules
they follow; ``jar`` is the one module that writes them; ``report`` says
what the browser did with them; ``forms`` and ``views`` are the page.
"""
