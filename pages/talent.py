"""人才 Talent: the area's indicators, Sichuan vs Chongqing, cities, flows and tasks."""

from ui.area_page import render

render("talent")
