"""Drafting for human review: policy drafts, board memos, the review workflow and exports."""

from advisor.drafting.document import BANNER, Draft
from advisor.drafting.templates import POLICY_TYPES

__all__ = ["BANNER", "Draft", "POLICY_TYPES"]
