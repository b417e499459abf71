"""Presentation: HTML fragments over templates/sandbox/ (fragments.py), the traffic strip
(traffic.py), Tab completion (completion.py), the file editor's checks (editor.py). The live view
and the Rollout panel's choice (../cluster_view.py, ../rollout_panel.py) stay one level up: the
classroom's drill-down uses them too."""
