"""Programs, applications and their state machine, enrolment and admin review."""
