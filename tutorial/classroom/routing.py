from django.urls import re_path

from tutorial.classroom.consumers import ClassroomConsumer

websocket_urlpatterns = [
    re_path(r"^ws/classes/(?P<lang>[a-z]{2})/(?P<pk>[0-9]{1,12})/$", ClassroomConsumer.as_asgi()),
]
