"""Pure (Django-free) helpers that turn the simulator's rollout record into things a learner sees:
`why` (one sentence per deployment-controller decision) and `chart` (SVG rollout chart and its
text-alternative table). Nothing here imports Django; templates live in templates/visuals/."""
