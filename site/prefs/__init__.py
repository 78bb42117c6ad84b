"""Preferences: the colour mode (``theme`` cookie), for visitors and members.

``theme`` has the rules for reading and rendering the cookie, ``views`` the
pages and the navbar toggle, ``forms`` their forms.
"""
