"""Leg Twitch Guide: an Alexa skill that answers spoken questions about leg twitching."""

__version__ = "0.1.0"
