"""Exercise grading for Rollout Lab: load exercises.yaml, evaluate checks against a simulated
cluster, give feedback. Plain Python (no Django import), so the web app and the tests share it.

    from tutorial.exercises import load_lesson, prepare, run_script, grade
    lesson = load_lesson(Path("tutorial/content/06-updating"))
    cluster, since = prepare(lesson)
    result = grade(cluster, lesson.exercises[0], since=since, lang="en")
"""
from .grader import CheckResult, Result, grade
from .loader import (CONTENT_ROOT, Check, Exercise, ExerciseError, LessonExercises, Mistake, WrongAttempt,
                     load_all, load_exercises, load_lesson, parse_exercise, parse_exercises)
from .replay import new_cluster, prepare, replay, run_script

__all__ = ["grade", "Result", "CheckResult", "ExerciseError", "Exercise", "Check", "Mistake", "WrongAttempt",
           "LessonExercises", "load_all", "load_lesson", "load_exercises", "parse_exercise", "parse_exercises",
           "CONTENT_ROOT", "new_cluster", "prepare", "replay", "run_script"]
