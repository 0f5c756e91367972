"""The predict server's library, one concern per module (predict_server.py is the command):

    models.py   restore each model/NAME/ through the tensor-name contract, freeze, warm up;
                the only module here that imports TensorFlow
    runner.py   run the models a request asks for, in one lane or two
    api.py      parse requests and shape answers, for our API and TF Serving's REST API:
                JSON and NumPy only, testable without sockets
    http.py     the hardened HTTP server: body and header limits, deadlines, the
                connection cap, routing to api.py

Importing the package imports no module, so a client of api.py never loads TensorFlow."""
