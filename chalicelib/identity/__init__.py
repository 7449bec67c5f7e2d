"""Who acts: the callers a route is handed, the actor histories record, and the audit log.

Every area may use this package; it imports no area (DESIGN.md section 10).
"""
