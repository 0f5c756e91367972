"""Training throughput (images/s) of every model: our TF1 graph against Keras 3 and PyTorch.

    python bench/train_speed.py [--quick] [--models cnn,lstm] [--rounds 7] [--round_s 1.5]

For each model, five to seven trainers of the same architecture, optimiser and batch size
run in one process on the same MNIST training images:

  ours, feed_dict   graphs.model.build(features) + the training script's optimiser, one
                    session.run per step fed numpy batches from DataSet.next_batch, as
                    graphs/training.py does (summaries and checkpoints left out)
  ours, make_callable  the same, each step through a Session.make_callable callable
  ours, keep_prob fed  the same as feed_dict, but also feeding keep_prob = 1.0, which the
                    training loop leaves to the placeholder's default (models without
                    dropout only)
  ours, 2 inter-op threads  the same as feed_dict, with ops handed to a pool of 2 threads
                    (models whose script runs them in the calling thread only)
  ours, all intra-op threads  the same as feed_dict, with --threads threads inside each op
                    (models whose script gives each op fewer: the LSTM's chains)
  ours, tf.data     the same graph, imported with its input placeholders mapped onto a
                    tf.data iterator (shuffle, batch, prefetch), so no feed_dict
  Keras fit         bench/keras_models.py compiled with the same optimiser; model.fit
                    on numpy arrays, timed from the end of its first batch to its end
                    (fit's set-up and first batch are left out: the most favourable view)
  PyTorch           bench/torch_models.py, eager, torch.optim, random index batches
  ours, bf16        ours, feed_dict with grappler's bfloat16 rewrite (--precision bf16)
  Keras fit, bf16   Keras fit under the mixed_bfloat16 policy (float32 variables)
  PyTorch, bf16     PyTorch with its forward pass under torch.autocast('cpu', bfloat16)

The summary column compares each side at its best precision: the faster of our fp32 and
bf16 against the fastest of Keras and PyTorch in either precision.

Each trainer first warms up (graph optimisation, tracing) and is calibrated so that one
round takes about --round_s seconds; then they take turns for --rounds rounds and the
median of each is reported. Our sessions get the thread settings of the model's training
script for --threads cores: intra-op --threads (the LSTM: those cores divided between
its two chains); inter-op 2 (regression: the calling thread). Keras gets --threads
intra-op and 2 inter-op threads, PyTorch torch.set_num_threads(--threads).
"""
import collections
import importlib
import time

import harness  # first: puts the project on the path, quietens TensorFlow's C++ logs

import keras
import numpy as np
import tensorflow.compat.v1 as tf
import torch

import keras_models
import torch_models
from graphs import input_data
from graphs import model as model_lib
from graphs import precision, training

Recipe = collections.namedtuple('Recipe',
                                'batch_size optimizer learning_rate keep_prob intra_op inter_op')

# As train_NAME.py trains each model, at the batch sizes (128; LeNet-5 64).
# intra_op: the script's --intra_op_threads default as a function of the cores (here
# --threads); None for all of them. inter_op: its --inter_op_threads default (-1: every op
# in the calling thread).
RECIPES = {
    'regression': Recipe(128, 'sgd', 0.5, 1.0, None, -1),
    'nn': Recipe(128, 'adam', 1e-3, 0.5, None, 2),
    'cnn': Recipe(128, 'adam', 1e-3, 0.5, None, 2),
    'lstm': Recipe(128, 'adam', 1e-3, 1.0, training.lstm_intra_op_threads, 2),
    'cnn_lstm': Recipe(128, 'adam', 1e-3, 1.0, None, 2),
    'lenet5': Recipe(64, 'adam', 1e-3, 1.0, None, 2),
    'crnn': Recipe(128, 'adam', 1e-3, 1.0, None, 2),
}
TRAINERS = ('ours, feed_dict', 'ours, make_callable', 'ours, tf.data', 'Keras fit', 'PyTorch',
            'ours, bf16', 'Keras fit, bf16', 'PyTorch, bf16')
OURS = ('ours, feed_dict', 'ours, bf16')
OTHERS = ('Keras fit', 'PyTorch', 'Keras fit, bf16', 'PyTorch, bf16')
KEEP_PROB_FED = 'ours, keep_prob fed'
INTER_OP_POOL = 'ours, 2 inter-op threads'
ALL_INTRA_OP = 'ours, all intra-op threads'


# ---------------------------------------------------------------------------- ours

def build_training_graph(features, recipe):
    """(graph, model, train op): `features` inside the contract of graphs/model.py, with
    the training script's optimiser."""
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(0)
        model = model_lib.build(features)
        if recipe.optimizer == 'adam':
            optimizer = tf.train.AdamOptimizer(recipe.learning_rate)
        else:
            optimizer = tf.train.GradientDescentOptimizer(recipe.learning_rate)
        train_op = optimizer.minimize(model.cross_entropy, global_step=model.global_step)
    return graph, model, train_op


def model_features(name):
    return importlib.import_module('graphs.' + name).features


def feed_dict_trainer(features, recipe, mnist, config, callable_step=False,
                      always_feed_keep_prob=False):
    """train(steps): `steps` session.run calls fed numpy batches, as the training loop.
    callable_step: a callable from Session.make_callable instead, which parses the
    feeds and fetches once instead of on every step.
    always_feed_keep_prob: feed keep_prob even at 1.0, as the loop used to."""
    graph, model, train_op = build_training_graph(features, recipe)
    session = tf.Session(graph=graph, config=config)
    with graph.as_default():
        session.run(tf.global_variables_initializer())

    def feed():
        images, labels = mnist.train.next_batch(recipe.batch_size)
        values = model_lib.training_feed(model, images, labels, recipe.keep_prob)
        if always_feed_keep_prob:
            values[model.keep_prob] = recipe.keep_prob
        return values
    if callable_step:
        # The feed's keys come in the same order every step: they are the feed list.
        run_callable = session.make_callable(train_op, feed_list=list(feed()))

        def step(values):
            run_callable(*values.values())
    else:
        def step(values):
            session.run(train_op, values)

    def train(steps):
        for _ in range(steps):
            step(feed())
    return train


def tf_data_trainer(features, recipe, mnist, config):
    """The same graph with its input placeholders mapped onto a tf.data iterator."""
    built, model, train_op = build_training_graph(features, recipe)
    with built.as_default():
        meta_graph = tf.train.export_meta_graph()
    graph = tf.Graph()
    with graph.as_default():
        all_images = tf.placeholder(tf.float32, mnist.train.images.shape)
        all_labels = tf.placeholder(tf.float32, mnist.train.labels.shape)
        dataset = (tf.data.Dataset.from_tensor_slices((all_images, all_labels))
                   .shuffle(mnist.train.num_examples, seed=0).repeat()
                   .batch(recipe.batch_size, drop_remainder=True).prefetch(1))
        iterator = tf.data.make_initializable_iterator(dataset)
        images, labels = iterator.get_next()
        tf.train.import_meta_graph(meta_graph, input_map={model.images.name: images,
                                                          model.labels.name: labels})
        train = graph.get_operation_by_name(train_op.name)
        # What a training step feeds besides the batch, which comes from the iterator.
        feed = model_lib.training_feed(model, None, None, recipe.keep_prob)
        del feed[model.images], feed[model.labels]
        extra_feed = {graph.get_tensor_by_name(tensor.name): value
                      for tensor, value in feed.items()}
        session = tf.Session(graph=graph, config=config)
        session.run([tf.global_variables_initializer(), iterator.initializer],
                    {all_images: mnist.train.images, all_labels: mnist.train.labels})

    def run(steps):
        for _ in range(steps):
            session.run(train, extra_feed)
    return run


# ---------------------------------------------------------------------------- Keras

def keras_trainer(name, recipe, mnist, policy='float32'):
    """model.fit over steps + 1 batches; returns the steady-state seconds of `steps`.
    policy: the Keras dtype policy the model is built under ('mixed_bfloat16': bfloat16
    compute, float32 variables)."""
    keras.mixed_precision.set_global_policy(policy)
    try:
        model = keras_models.build(name)
    finally:
        keras.mixed_precision.set_global_policy('float32')
    optimizer = (keras.optimizers.Adam(recipe.learning_rate) if recipe.optimizer == 'adam'
                 else keras.optimizers.SGD(recipe.learning_rate))
    model.compile(optimizer=optimizer,
                  loss=keras.losses.CategoricalCrossentropy(from_logits=True))
    timer = SteadyStateTimer()
    rng = np.random.RandomState(0)

    def train(steps):
        count = (steps + 1) * recipe.batch_size
        start = rng.randint(0, mnist.train.num_examples - count + 1)
        model.fit(mnist.train.images[start:start + count], mnist.train.labels[start:start + count],
                  batch_size=recipe.batch_size, epochs=1, shuffle=False, verbose=0,
                  callbacks=[timer])
        return timer.seconds
    return train


class SteadyStateTimer(keras.callbacks.Callback):
    """Seconds from the end of fit's first batch to the end of its last."""

    def on_train_batch_end(self, batch, logs=None):
        if batch == 0:
            self.first_batch_done = time.perf_counter()

    def on_train_end(self, logs=None):
        self.seconds = time.perf_counter() - self.first_batch_done


# ---------------------------------------------------------------------------- PyTorch

def torch_trainer(model, recipe, mnist, bf16=False):
    """train(steps): the usual eager loop over random index batches; bf16: the forward
    pass and loss under torch.autocast (bfloat16 matmuls and convolutions), as PyTorch
    recommends for CPUs with bfloat16 instructions."""
    model.train()
    if recipe.optimizer == 'adam':
        optimizer = torch.optim.Adam(model.parameters(), recipe.learning_rate)
    else:
        optimizer = torch.optim.SGD(model.parameters(), recipe.learning_rate)
    images = torch.from_numpy(mnist.train.images)
    labels = torch.from_numpy(mnist.train.labels.argmax(1))
    loss_fn = torch.nn.CrossEntropyLoss()

    def train(steps):
        for _ in range(steps):
            batch = torch.randint(0, len(images), (recipe.batch_size,))
            with torch.autocast('cpu', dtype=torch.bfloat16, enabled=bf16):
                loss = loss_fn(model(images[batch]), labels[batch])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
    return train


# ---------------------------------------------------------------------------- timing

def measure_model(name, mnist, flags):
    """{trainer: [images/s per round]} for model NAME."""
    recipe, features = RECIPES[name], model_features(name)
    intra_op = recipe.intra_op(flags.threads) if recipe.intra_op else flags.threads
    config = harness.session_config(intra_op, recipe.inter_op)
    torch.manual_seed(0)
    builders = {
        'ours, feed_dict': lambda: feed_dict_trainer(features, recipe, mnist, config),
        'ours, make_callable': lambda: feed_dict_trainer(features, recipe, mnist, config,
                                                         callable_step=True),
        'ours, tf.data': lambda: tf_data_trainer(features, recipe, mnist, config),
        'Keras fit': lambda: keras_trainer(name, recipe, mnist),
        'PyTorch': lambda: torch_trainer(torch_models.build(name), recipe, mnist),
        'ours, bf16': lambda: feed_dict_trainer(features, recipe, mnist, precision.apply(
            harness.session_config(intra_op, recipe.inter_op), 'bf16')),
        'Keras fit, bf16': lambda: keras_trainer(name, recipe, mnist, 'mixed_bfloat16'),
        'PyTorch, bf16': lambda: torch_trainer(torch_models.build(name), recipe, mnist,
                                               bf16=True),
    }
    if recipe.keep_prob == 1.0:
        builders[KEEP_PROB_FED] = lambda: feed_dict_trainer(features, recipe, mnist, config,
                                                            always_feed_keep_prob=True)
    if recipe.inter_op < 0:
        builders[INTER_OP_POOL] = lambda: feed_dict_trainer(
            features, recipe, mnist, harness.session_config(flags.threads, inter_op=2))
    if intra_op < flags.threads:
        builders[ALL_INTRA_OP] = lambda: feed_dict_trainer(
            features, recipe, mnist, harness.session_config(flags.threads, recipe.inter_op))
    rounds = {trainer: harness.calibrated(build(), recipe.batch_size, flags.warmup, flags.round_s)
              for trainer, build in builders.items()}
    return harness.interleaved(rounds, flags.rounds)


def main():
    flags = harness.parser(__doc__, training_rounds=True).parse_args()

    harness.pin_tensorflow_threads(flags.threads)
    harness.pin_torch_threads(flags.threads)
    mnist = input_data.read_data_sets(flags.data_dir, one_hot=True, seed=0)

    report = harness.Report('train_speed', flags)
    rows, raw = [], {}
    for name in flags.models:
        rates = measure_model(name, mnist, flags)
        raw[name] = rates
        medians = {trainer: harness.median(values) for trainer, values in rates.items()}
        best_other = max(medians[t] for t in OTHERS)
        ours = medians['ours, feed_dict']
        rows.append([name, RECIPES[name].batch_size] + [medians[t] for t in TRAINERS] +
                    ['%.2f×' % harness.ratio(max(medians[t] for t in OURS), best_other),
                     '%.2f×' % harness.ratio(ours, max(medians['Keras fit'],
                                                       medians['PyTorch']))] +
                    ['%.2f×' % harness.ratio(medians[t], ours) if t in medians else '–'
                     for t in ('ours, make_callable', 'ours, tf.data', KEEP_PROB_FED,
                               INTER_OP_POOL, ALL_INTRA_OP)])
        print(name, {t: round(m) for t, m in medians.items()}, flush=True)
    report.table('Training throughput, images/s (median of %d rounds)' % flags.rounds,
                 ['model', 'batch'] + list(TRAINERS) +
                 ['ours at its best precision ÷ fastest other at theirs',
                  'fp32: feed_dict ÷ faster of Keras, PyTorch', 'make_callable ÷ feed_dict',
                  'tf.data ÷ feed_dict', 'keep_prob = 1.0 fed too ÷ feed_dict',
                  '2 inter-op threads ÷ feed_dict',
                  '%d intra-op threads ÷ feed_dict' % flags.threads], rows,
                 notes=['Same process, trainers interleaved round by round; Adam 1e-3 '
                        '(regression: SGD 0.5) as train_NAME.py; dropout where the model has it.',
                        'Our sessions: threads as train_NAME.py sets them on %d cores: '
                        'intra-op %d (lstm: %d, the cores shared between its chains); '
                        'inter-op 2 (regression: every op in the calling thread).'
                        % (flags.threads, flags.threads,
                           training.lstm_intra_op_threads(flags.threads)),
                        'Keras fit is timed from the end of its first batch (its most '
                        'favourable view); ours and PyTorch include everything per step.'])
    report.raw['images_per_second_per_round'] = raw
    report.finish()


if __name__ == '__main__':
    main()
