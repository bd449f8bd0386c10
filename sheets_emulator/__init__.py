"""
A Google Sheets v4 / Drive v3 emulator that the real gspread client talks to over real HTTP.

The front door: start an emulator in-process (``SheetsApi`` over a ``Store``) or as a server
(``run_emulator``, ``serve_forever``), point gspread at it (``make_gspread_client``), seed and
peek at spreadsheets (``Store.create_spreadsheet``, ``Store.set_values``, ``Store.get_values``),
make a person's edits between requests (``people``), and inject faults (``Faults``). The pytest
fixtures live in ``sheets_emulator.pytest_plugin``.

Layers, from the ground up: ``model`` (store, A1, cell parsing and rendering), ``files``
(state file, .xlsx), ``api`` (router and the method handlers), ``http`` (server, OAuth2,
faults, the client adapter). Each imports only from the layers below it.
"""

from __future__ import annotations

from sheets_emulator import people
from sheets_emulator.api.router import ApiRequest, ApiResponse, SheetsApi
from sheets_emulator.files.state import load_store, save_store
from sheets_emulator.files.xlsx import export_xlsx, import_xlsx
from sheets_emulator.http.auth import AuthConfig, make_service_account_key
from sheets_emulator.http.client import make_gspread_client, sheets_session
from sheets_emulator.http.faults import Counters, FaultPlan, Faults
from sheets_emulator.http.server import (
    CannotListen,
    EmulatorHandle,
    EmulatorServer,
    run_emulator,
    serve_forever,
)
from sheets_emulator.model.errors import ApiError, UnusableFile
from sheets_emulator.model.store import Sheet, Spreadsheet, Store

__all__ = [
    "ApiError",
    "ApiRequest",
    "ApiResponse",
    "AuthConfig",
    "CannotListen",
    "Counters",
    "EmulatorHandle",
    "EmulatorServer",
    "FaultPlan",
    "Faults",
    "Sheet",
    "SheetsApi",
    "Spreadsheet",
    "Store",
    "UnusableFile",
    "export_xlsx",
    "import_xlsx",
    "load_store",
    "make_gspread_client",
    "make_service_account_key",
    "people",
    "run_emulator",
    "save_store",
    "serve_forever",
    "sheets_session",
]
