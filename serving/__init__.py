"""The predict server's library, one concern per module (predict_server.py is the command):

    models.py   restore each model/NAME/ through the tensor-name contract, freeze, warm up;
                with merged.py, the only modules here that import TensorFlow
    runner.py   run the models a request asks for: one graph per set (merged.py), concurrent
                requests batched into one call (batching.py)
    merged.py   every model of a set in one graph, fetched by one session call
    batching.py requests that arrive together run as one batch, without waiting for more
    ensemble.py the `ensemble` entry: the loaded models combined (model/ensemble.json's
                weights while they fit, else the mean)
    api.py      parse requests and shape answers, for our API and TF Serving's REST API:
                JSON and NumPy only, testable without sockets
    http.py     the hardened HTTP server: dispatch, JSON answers, the connection cap,
                stopping on a signal
    routes.py   which endpoint answers each path, and the endpoints
    bodies.py   request bodies read within limits; TF Serving batches within batch memory
    cors.py     which page origins may read the answers; preflights
    connections.py  what each connection is doing, for the cap; deadlines, socket queues
    framing.py  a request head read within limits; ambiguous framing and foreign Host
                names refused
    metrics.py  the Prometheus metrics (prometheus_client)
    reload.py   polling model_dir: new checkpoints and directories swapped in, old out
    feedback.py the feedback store: drawings labelled on the page, kept durably as
                MNIST-style IDX files (no TensorFlow)
    feedback_routes.py  POST /feedback and GET /feedback: parsing, rate limit, origin rule

Importing the package imports no module, so a client of api.py never loads TensorFlow."""
