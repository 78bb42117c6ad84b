"""The member's own account: password, deletion, and the devices logged in."""
