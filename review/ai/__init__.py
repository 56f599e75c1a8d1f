"""The OKR dashboard task (DESIGN.md §6), registered with analysis.engines.llm on import.

from analysis.engines import llm
from review import ai

dashboard = llm.run(ai.TASK_NAME, {"answers": [...]}, config=engine_config.llm_config())
"""

from __future__ import annotations

from analysis.engines import llm
from review.ai.local import build_dashboard
from review.ai.prompts import SYSTEM_PROMPT, user_prompt
from review.ai.schema import Dashboard

TASK_NAME = "okr_dashboard"

TASK = llm.register(
    llm.Task(
        name=TASK_NAME,
        output=Dashboard,
        local=build_dashboard,
        system_prompt=SYSTEM_PROMPT,
        user_prompt=user_prompt,
    )
)

__all__ = ["TASK", "TASK_NAME", "Dashboard", "build_dashboard"]
