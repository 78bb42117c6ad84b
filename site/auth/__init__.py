"""Accounts: sign up, log in (with "Remember me"), log out.

``views`` holds the blueprint ``bp``; ``remember`` adapts Flask-Login's
remember cookie to the cookie catalogue.
"""
