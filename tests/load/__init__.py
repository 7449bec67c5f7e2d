"""`make load`: many people apply at once through the real HTTP flow of the local stack (locust)."""
