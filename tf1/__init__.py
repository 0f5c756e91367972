"""TensorFlow 1.x code as it is, on today's TensorFlow: `python -m tf1 SCRIPT.py [ARGS]`.

(Work in progress: the runner and the mapping land in the next commits.)
"""
