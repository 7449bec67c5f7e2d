"""Telling people what happens: the outbox's stream to SMS, email and the person's inbox, program
templates, contact choices' routes, and checking a status without logging in."""
