"""The browser test console: type or speak to the skill, as the Alexa developer console's Test tab."""
