"""账户 Account: a visitor's sign-in (the navigation's 登录 link); who is signed in, their pages, and sign-out."""

from ui.account import draw
from ui.page import start

engine, sel = start("account")
draw(sel.lang)
