"""Drawing and editing a journey: the canvas, journey tabs, inspector, segments and problems."""
