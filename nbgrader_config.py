# nbgrader's settings for this course: read by every `nbgrader` command started in this
# folder (CONTRIBUTING.md, "nbgrader", says how to make a handout).
from course_lib import grading

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file
grading.configure(c)
