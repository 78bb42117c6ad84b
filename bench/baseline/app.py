"""The benchmark's baseline: the smallest Flask page that reads cookies.

One route renders a two-line template with ``request.cookies``, the way the
Flask cookie tutorial starts. Served under the same gunicorn settings as the
site, it tells what a page of cookiesite costs on top of bare Flask.
"""

from flask import Flask
from flask import render_template
from flask import request

app = Flask(__name__)


@app.route("/")
def read_cookies():
    """Show the cookies the browser sent."""
    return render_template("read_cookies.html", cookies=request.cookies)
