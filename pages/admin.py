"""数据管理 Data admin: sign in as an admin, validate and ingest a file, roll back a version, read the audit log."""

from ui.admin import draw
from ui.page import start

engine, sel = start("admin")
draw(engine, sel.lang)
