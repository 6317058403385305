"""社会保障 Social security: the area's indicators, Sichuan vs Chongqing, cities, flows and tasks."""

from ui.area_page import render

render("social_security")
