"""The floor for HTTP throughput: a Flask route that returns a short text and does nothing else."""

from flask import Flask

app = Flask(__name__)


@app.get("/hello")
def hello():
    return "hello", 200, {"Content-Type": "text/plain; charset=utf-8"}
