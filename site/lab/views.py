"""``/lab``: set, update and delete cookies of your own, and watch the browser.

Every address under ``/lab`` is the same lab page, so a cookie with
``Path=/lab/inside`` can be watched arriving at ``/lab/inside`` and missing
from ``/lab``. The forms post to ``/lab`` (set or update) and
``/lab/delete``; both answer with a redirect back to a lab page.
"""

from flask import abort
from flask import Blueprint
from flask import render_template
from flask import request
from flask import url_for

from cookiesite.lab import family
from cookiesite.lab import jar
from cookiesite.lab import report
from cookiesite.lab.family import LAB
from cookiesite.lab.forms import DeleteForm
from cookiesite.lab.forms import SetCookieForm
from cookiesite.redirects import after_form

bp = Blueprint("lab", __name__, url_prefix=LAB.path)


def render_lab(form: SetCookieForm, status: int = 200, **extra):
    """The lab page at this address, with ``form`` as it stands."""
    return render_template(
        "lab/index.html",
        form=form,
        lab=LAB,
        sent=report.sent(),
        outcome=report.outcome(),
        here=request.path,
        here_url=report.page_url(request.path),
        host=family.host_name(request.host),
        secure_here=report.secure_here(),
        **extra,
    ), status


def show():
    """The lab page for a GET, with the form filled in for an Update, or from
    the query string (the home page's tour links to a 15-second cookie).

    The lab's record of its cookies forgets those this request should have
    carried and did not, so the limit counts only cookies the browser holds.
    """
    jar.forget_missing(set(request.cookies))
    name = request.args.get("update", "")
    if not (family.is_lab_name(name) and name in request.cookies):
        # Shown, not sent: the fields are only filled in, and checked when
        # the visitor presses "Set cookie".
        return render_lab(SetCookieForm(formdata=request.args or None))
    path, domain = jar.best_path(name)
    if family.path_problem(request.args.get("path", "")) is None:
        path = request.args["path"]
    form = SetCookieForm(
        data={
            "name": name.removeprefix(LAB.prefix),
            "value": request.cookies[name],
            "path": path,
            "domain": domain,
        }
    )
    return render_lab(form, updating=name)


@bp.route("", methods=["GET", "POST"])
def index():
    """The lab; its form sets or updates a lab cookie, then comes back here."""
    form = SetCookieForm()
    if form.validate_on_submit():
        response = after_form(url_for("lab.index"))
        jar.write(response, form.cookie_name, form.value.data, **form.arguments())
        return response
    if form.is_submitted():
        return render_lab(form, 422)
    return show()


@bp.get("/<path:where>")
def page(where: str):
    """The lab at an address below ``/lab``, to watch a cookie's path at work."""
    if family.path_problem(f"{LAB.path}/{where}"):
        abort(404)
    return show()


@bp.post("/delete")
def delete():
    """Send a deletion of a lab cookie at the path chosen, then go back to the
    lab page the button was pressed on."""
    form = DeleteForm()
    if not form.validate_on_submit():
        return render_lab(SetCookieForm(formdata=None), 422, delete_form=form)
    back = form.next.data or ""
    target = report.page_url(back) if family.path_problem(back) is None else None
    response = after_form(target or url_for("lab.index"))
    jar.erase(response, form.name.data, form.path.data, form.domain.data)
    return response
