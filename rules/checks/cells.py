"""
The cell rule of each kind of column, in one table: what `check_row` runs on a cell, and what
`kpi` uses to read a typed result the way the rules read it.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from rules.checks import choices, dates, emails, geography, ids, numbers, phones, text
from rules.template import Kind
from rules.types import CellCheck

CELL_CHECKS: Mapping[Kind, CellCheck] = MappingProxyType(
    {
        Kind.TEXT: text.check_text,
        Kind.NAME: text.check_full_name,
        Kind.DATE: dates.check_date,
        Kind.PROVINCE: geography.check_province_name,
        Kind.NATIONAL_ID: ids.check_national_id,
        Kind.MOBILE: phones.check_mobile,
        Kind.PHONE: phones.check_phone,
        Kind.EMAIL: emails.check_email,
        Kind.ADDRESS: text.check_text,
        Kind.MOO: numbers.check_moo,
        Kind.AGE: numbers.check_age,
        Kind.TAX_ID: ids.check_tax_id,
        Kind.TSIC: text.check_tsic,
        Kind.AMOUNT: numbers.check_amount,
        Kind.SCORE: numbers.check_score,
        Kind.PERCENT: numbers.check_percent,
        Kind.CHECKBOX: choices.check_checkbox,
        Kind.DATE_RANGE: dates.check_date_range,
        Kind.REDUCTION: numbers.check_reduction,
        Kind.INCREASE: numbers.check_increase,
        Kind.BAHT_CHANGE: numbers.check_baht_change,
    }
)
"""The cell rule of each kind (dropdowns are checked against the row's options instead)."""
