"""就业 Employment (and labour relations): the area's indicators, province comparison, cities, flows, tasks."""

from ui.area_page import render

render("employment")
