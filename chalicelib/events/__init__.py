"""The outbox of domain events: one way to add an event to the transaction of the change it tells of.

Every area that changes something people or other systems must hear about may use this package;
it imports no area (DESIGN.md section 11).
"""
