"""Where a session's state lives between processes: the lease that says which process hosts a
sandbox (lease.py), its two frequent writes on the event loop (pg_async.py) and the other database
calls off the loop (db.py). The row itself: ../models.py and ../services.py."""
