from __future__ import annotations


def offset(page: int, page_size: int) -> int:
    return (page - 1) * page_size


def total_pages(total: int, page_size: int) -> int:
    return (total + page_size - 1) // page_size
