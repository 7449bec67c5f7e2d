"""The pages that gather one person's data from every area: everything they sent (submissions),
their consents, and the export of all they hold here. Above every area (DESIGN.md section 10),
so that no area needs another's service to show what the person has."""
