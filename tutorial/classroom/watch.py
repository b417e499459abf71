"""An instructor's read-only view of a learner's live sandbox:
/ws/classes/<lang>/<class id>/learners/<learner id>/<slug>/.

The same transport as the learner's console (tutorial/sandbox/realtime/consumer.py), attached to the same session as a
read-only client: it sees every terminal, the cluster view and the panels live, and may only ask
what changes nothing (Tab, the Rollout panel's Deployment, replay, opening a file). Only an
instructor who teaches the class, for one of its learners, for one of its lessons, and only when
that learner has a sandbox for it (the view never creates one).
"""

from __future__ import annotations

from tutorial.classroom.access import learner_of, teaching_classroom
from tutorial.learners import user_owner
from tutorial.sandbox.models import Sandbox
from tutorial.sandbox.panels.targets import keep_targets
from tutorial.sandbox.persistence.db import console_db
from tutorial.sandbox.persistence.sandboxes import sandbox_exercise_since
from tutorial.sandbox.realtime.consumer import (
    CLOSE_FORBIDDEN,
    CLOSE_NOT_FOUND,
    SandboxConsumer,
    held_elsewhere,
)


def watched_sandbox(instructor, class_id, learner_id, slug: str):
    """(learner, sandbox), or None when `instructor` may not watch it (or it does not exist)."""
    classroom = teaching_classroom(instructor, class_id)
    if classroom is None or slug not in (classroom.lessons or []):
        return None
    learner = learner_of(classroom, learner_id)
    if learner is None:
        return None
    sandbox = Sandbox.objects.filter(owner=user_owner(learner), lesson_slug=slug).first()
    return None if sandbox is None else (learner, sandbox)


def watched(instructor, class_id, learner_id, lesson):
    """(learner, sandbox, whether another process holds its lease), in one database trip."""
    found = watched_sandbox(instructor, class_id, learner_id, lesson.slug)
    if found is None:
        return None
    learner, sandbox = found
    sandbox.exercise_since = sandbox_exercise_since(sandbox, lesson)
    return learner, sandbox, held_elsewhere(sandbox.pk, live=False)


# What the drill-down shows (templates/classroom/_learner_live.html): the rest of the session's
# fragments (controls, editor, exercise panel, history…) has no place on that page.
SHOWN_IDS = frozenset({"console-output", "console-output-2", "cluster-view", "rollout-chart-panel"})


class WatchConsumer(SandboxConsumer):
    read_only = True

    def for_page(self, text: str) -> str:
        return keep_targets(text, SHOWN_IDS)

    async def _find_sandbox(self):
        kwargs = self.scope["url_route"]["kwargs"]
        user = self.scope.get("user")
        if user is None or not getattr(user, "is_authenticated", False):
            await self.close(code=CLOSE_FORBIDDEN)
            return None
        found = await console_db(watched)(user, kwargs["pk"], kwargs["learner_id"], self.lesson)
        if found is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return None
        # The session is the learner's: progress and time spent are theirs, not the instructor's.
        self.user, sandbox, elsewhere = found
        self.owner = user_owner(self.user)
        return sandbox, elsewhere
