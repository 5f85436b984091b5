"""MaDDash grids: the configuration summary, grids, their checks and each check's history.

One table, items told apart by key:
- ``pk="config"``, ``sk="summary"``: the loaded configuration's dashboards and the row,
  column and check lists (JSON in ``doc``);
- ``pk="grids"``, ``sk=<grid name>``: a grid (rows, columns, check names, labels in ``doc``);
- ``pk="cells#<grid>"``, ``sk="<row>/<col>/<check>"`` (each name form-encoded as MaDDash
  encodes URIs, so ``/`` separates): one check of one cell, with its latest result and the
  tokens of the started maintenance windows that hold it at status 5;
- ``pk="history#<grid>/<row>/<col>/<check>"``, ``sk="<time>#<nonce>"``: one recorded result.
A grid's checks are one Query; a check's history pages newest first with ``sk``.
"""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
)
from pynamodb.models import Model

from chalicelib.store.base import BaseMeta, bind_model

SHORT_NAME = "maddash"
CONFIG_PK = "config"
SUMMARY_SK = "summary"
GRIDS_PK = "grids"


def cells_pk(grid_key: str) -> str:
    return f"cells#{grid_key}"


def history_pk(check_ref: str) -> str:
    return f"history#{check_ref}"


class MaddashModel(Model):
    class Meta(BaseMeta):
        table_name = SHORT_NAME

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    doc = UnicodeAttribute(default="{}")  # JSON: what is read whole and never updated in part
    active = BooleanAttribute(null=True)
    position = NumberAttribute(null=True)  # a grid's place in the configuration
    # A check (cells#...): its names, order, latest result and maintenance tokens.
    grid = UnicodeAttribute(null=True)
    row = UnicodeAttribute(null=True)
    col = UnicodeAttribute(null=True)
    check = UnicodeAttribute(null=True)
    row_order = NumberAttribute(null=True)
    col_order = NumberAttribute(null=True)
    result_status = NumberAttribute(null=True)  # the last recorded result (None: never run)
    message = UnicodeAttribute(null=True)
    prev_check_time = NumberAttribute(null=True)
    # Set by POST /maddash/admin/schedule; a new result clears it (then: prev + checkInterval).
    next_check_time = NumberAttribute(null=True)
    result_count = NumberAttribute(null=True)  # how many history items exist
    return_code_count = NumberAttribute(null=True)  # consecutive results with this status
    maintenance = UnicodeSetAttribute(null=True)  # tokens of windows holding it at status 5
    # A history item: its time and status (message above, return parameters in ``doc``).
    time = NumberAttribute(null=True)
    status = NumberAttribute(null=True)


bind_model(MaddashModel, SHORT_NAME)
