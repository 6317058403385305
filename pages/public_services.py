"""公共服务与数据共享 Public services & data sharing: the area's indicators, Sichuan vs Chongqing, cities, flows,
tasks."""

from ui.area_page import render

render("public_services")
