"""The predict server's library, one concern per module (predict_server.py is the command):

    models.py   restore each model/NAME/ through the tensor-name contract, freeze, warm up;
                the only module here that imports TensorFlow
    runner.py   run the models a request asks for, in one lane or two
    api.py      parse requests and shape answers, for our API and TF Serving's REST API:
                JSON and NumPy only, testable without sockets
    http.py     the hardened HTTP server: body limits, batch memory, routing to api.py,
                the connection cap, stopping on a signal
    connections.py  what each connection is doing, for the cap; deadlines, socket queues
    framing.py  a request head read within limits; ambiguous framing and foreign Host
                names refused

Importing the package imports no module, so a client of api.py never loads TensorFlow."""
