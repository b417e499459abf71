from django.urls import re_path

from tutorial.classroom.consumers import ClassroomConsumer
from tutorial.classroom.watch import WatchConsumer

websocket_urlpatterns = [
    re_path(r"^ws/classes/(?P<lang>[a-z]{2})/(?P<pk>[0-9]{1,12})/$", ClassroomConsumer.as_asgi()),
    # an instructor's read-only view of one learner's live sandbox (tutorial/classroom/watch.py)
    re_path(r"^ws/classes/(?P<lang>[a-z]{2})/(?P<pk>[0-9]{1,12})/learners/(?P<learner_id>[0-9]{1,12})/"
            r"(?P<slug>[a-z0-9][a-z0-9-]*)/$", WatchConsumer.as_asgi()),
]
