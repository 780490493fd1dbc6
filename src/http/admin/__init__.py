"""The back office: Piccolo Admin over customers, invoices, payments, revenue, dashboard users
and the audit trail, mounted at /admin/.

Staff log in with Piccolo `BaseUser` accounts (`python -m src.ops.cli staff`); the admin's
session cookie (`id`) and CSRF cookie (`csrftoken`) mean nothing to /api, and the dashboard's
session means nothing here. A request passes through, in order:

- `mount.py`: the /admin mount; builds the back office once per app, on its first request
  (importing Piccolo Admin with FastAPI and pydantic costs ~0.4 s that no /api request pays);
- `audited.py`: every write runs in one transaction that names its staff member to the audit
  trail, answered once committed;
- `edge.py`: the login limit, Secure cookies, readable database refusals, the `__order` check;
- `site.py`: the admin app itself, one table config per table;
- `checks.py`: writes checked against the schema's rules, so staff get a message naming the
  field instead of a raw constraint error (the database still refuses whatever slips past);
- `hooks.py`: what a write stores besides what staff sent: the email key (the one normal form
  every email comparison uses) of users and customers, argon2id password hashes, payment voids.

Nothing here is imported at start-up: `mount.py` imports `site.py` on the first request.
"""
