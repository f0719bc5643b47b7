"""Pages of the accounts app: sign-in, the user's profile, and the settings for administrators.

The settings pages (users, teams, roles) are for administrators only: anonymous visitors are sent
to sign in, everyone else gets 403. Every change goes through the accounts services.
"""
