"""AI tasks behind one call: `run(task_name, inputs, config=LLMConfig(...))`.

    from analysis.engines import llm

    insights = llm.run("text_insights", {"text": answer}, config=llm.LLMConfig())
    insights.engine  # "local" or "openai:<model>"

Products define their own tasks (output model subclassing TaskOutput, local implementation,
prompts) and `register` them when their module is imported.
"""

from __future__ import annotations

from analysis.engines.llm import text_insights
from analysis.engines.llm.contracts import PROVIDERS, AIUnavailable, LLMConfig, Task, TaskOutput
from analysis.engines.llm.core import get_task, register, registered_tasks, run
from analysis.engines.llm.schema import SchemaNotStrict, strict_json_schema

__all__ = [
    "PROVIDERS",
    "AIUnavailable",
    "LLMConfig",
    "SchemaNotStrict",
    "Task",
    "TaskOutput",
    "get_task",
    "register",
    "registered_tasks",
    "run",
    "strict_json_schema",
    "text_insights",
]
