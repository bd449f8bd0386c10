"""
The Drive v3 subset through ``SheetsApi``: create, list with gspread's ``q``, get, copy, delete.
"""

from __future__ import annotations

from urllib.parse import quote

from sheets_emulator.api.router import ApiRequest, SheetsApi
from sheets_emulator.model.store import Store

MIME = "application/vnd.google-apps.spreadsheet"
FIELDS = "kind,nextPageToken,files(id,name,createdTime,modifiedTime)"


def test_create_matches_the_recording() -> None:
    """
    Recording ClientTest.test_create: {"kind","id","name","mimeType"}.
    """
    api = SheetsApi(Store())
    response = api.call(
        "POST", "/drive/v3/files?supportsAllDrives=True", {"name": "ใหม่", "mimeType": MIME}
    )
    assert response.status == 200
    assert set(response.body) == {"kind", "id", "name", "mimeType"}
    assert (response.body["kind"], response.body["name"], response.body["mimeType"]) == (
        "drive#file",
        "ใหม่",
        MIME,
    )
    opened = api.call("GET", f"/v4/spreadsheets/{response.body['id']}?includeGridData=false")
    assert opened.body["properties"]["title"] == "ใหม่"


def test_list_filters_like_open_and_openall() -> None:
    """
    The q clauses gspread builds (mimeType, name, parents) select the right files.
    """
    store = Store()
    a = store.create_spreadsheet("Alpha")
    store.create_spreadsheet("Beta")
    a.parents = ["folder1"]
    api = SheetsApi(store)

    def names(q: str) -> list[str]:
        response = api.call(
            "GET", f"/drive/v3/files?q={quote(q)}&pageSize=1000&fields={quote(FIELDS)}"
        )
        assert response.status == 200, response.body
        assert set(response.body) <= {"kind", "files", "nextPageToken"}
        return [f["name"] for f in response.body["files"]]

    assert names(f'mimeType="{MIME}"') == ["Alpha", "Beta"]
    assert names(f'mimeType="{MIME}" and name = "Beta"') == ["Beta"]
    assert names(f'mimeType="{MIME}" and parents in "folder1"') == ["Alpha"]
    assert names("name contains 'lph' and trashed = false") == ["Alpha"]
    assert api.call("GET", "/drive/v3/files?q=bogus").status == 400


def test_delete_copy_and_permissions() -> None:
    """
    Delete answers 204 with no body; copies are new files; unshared files are invisible.
    """
    store = Store()
    book = store.create_spreadsheet("Mine", shared_with=["me@x"])
    store.set_values(book.spreadsheet_id, "Sheet1", "A1", [["v"]])
    api = SheetsApi(store)
    hidden = api.handle(ApiRequest("GET", "/drive/v3/files", {}, None, "other@x"))
    assert hidden.body["files"] == []
    copied = api.handle(
        ApiRequest(
            "POST", f"/drive/v3/files/{book.spreadsheet_id}/copy", {}, {"name": "Copy"}, "me@x"
        )
    )
    assert copied.status == 200 and copied.body["name"] == "Copy"
    assert store.get_values(copied.body["id"], "Sheet1") == [["v"]]
    assert (
        api.handle(
            ApiRequest("DELETE", f"/drive/v3/files/{book.spreadsheet_id}", {}, None, "other@x")
        ).status
        == 404
    )
    deleted = api.call("DELETE", f"/drive/v3/files/{book.spreadsheet_id}?supportsAllDrives=True")
    assert (deleted.status, deleted.body) == (204, None)
    assert api.call("GET", f"/v4/spreadsheets/{book.spreadsheet_id}").status == 404


def test_permissions_edit_the_acl() -> None:
    """
    Sharing with a user grants access; removing the permission revokes it.
    """
    store = Store()
    book = store.create_spreadsheet("acl", shared_with=["owner@x"])
    api = SheetsApi(store)
    url = f"/drive/v3/files/{book.spreadsheet_id}/permissions"
    added = api.handle(
        ApiRequest(
            "POST",
            url,
            {},
            {"type": "user", "role": "writer", "emailAddress": "worker@x"},
            "owner@x",
        )
    )
    assert added.status == 200 and added.body["emailAddress"] == "worker@x"
    assert (
        api.handle(
            ApiRequest("GET", f"/v4/spreadsheets/{book.spreadsheet_id}", {}, None, "worker@x")
        ).status
        == 200
    )
    listed = api.handle(ApiRequest("GET", url, {}, None, "owner@x")).body["permissions"]
    assert [p["emailAddress"] for p in listed] == ["owner@x", "worker@x"]
    removed = api.handle(ApiRequest("DELETE", f"{url}/{added.body['id']}", {}, None, "owner@x"))
    assert removed.status == 204
    assert (
        api.handle(
            ApiRequest("GET", f"/v4/spreadsheets/{book.spreadsheet_id}", {}, None, "worker@x")
        ).status
        == 403
    )


def test_fields_system_parameter_applies_to_every_method() -> None:
    """
    ``fields`` trims any response, e.g. values.get?fields=range.
    """
    store = Store()
    book = store.create_spreadsheet("f", spreadsheet_id="f1")
    store.set_values(book.spreadsheet_id, "Sheet1", "A1", [["x"]])
    body = SheetsApi(store).call("GET", "/v4/spreadsheets/f1/values/A1?fields=range").body
    assert body == {"range": "Sheet1!A1"}


def test_a_fields_mask_naming_nothing_is_refused_before_anything_is_done() -> None:
    """
    A ``fields`` path the answer does not have (a typo), or a mask with a space in it, is a
    400 "Request contains an invalid argument." (Sheets does not take the space Drive takes),
    and a write sent with such a mask is not applied; the worker's own metadata mask and
    gspread's note mask are answered.
    """
    info_fields = (  # the worker's metadata read (sync.backends.base.INFO_FIELDS)
        "spreadsheetId,properties(title,timeZone),"
        "sheets(properties(sheetId,title,index,gridProperties(rowCount,columnCount)),"
        "conditionalFormats,protectedRanges,charts(chartId,spec(title))),"
        "namedRanges(namedRangeId,name,range)"
    )
    store = Store()
    book = store.create_spreadsheet("f", spreadsheet_id="f1")
    store.set_values(book.spreadsheet_id, "Sheet1", "A1", [["x"]])
    api = SheetsApi(store)
    for url in (
        "/v4/spreadsheets/f1?fields=sheets.properties.titel",
        "/v4/spreadsheets/f1?fields=properties,%20sheets.properties",
        "/v4/spreadsheets/f1/values/A1?fields=rnage",
        "/v4/spreadsheets/f1/values/A1?fields=range.start",
    ):
        answer = api.call("GET", url)
        assert (answer.status, answer.body["error"]["message"]) == (
            400,
            "Request contains an invalid argument.",
        ), url
    put = api.call(
        "PUT", "/v4/spreadsheets/f1/values/A1?valueInputOption=RAW&fields=x", {"values": [["y"]]}
    )
    assert put.status == 400 and store.get_values("f1", "Sheet1") == [["x"]]
    for fields in (info_fields, "sheets.data.rowData.values.note", "*", "range,values"):
        url = "/v4/spreadsheets/f1" + ("/values/A1" if fields == "range,values" else "")
        assert api.call("GET", f"{url}?fields={quote(fields)}").status == 200, fields
