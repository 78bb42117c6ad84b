"""The admin pages: this browser's cookies, everyone's logins, the users."""
