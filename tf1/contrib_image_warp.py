"""tf.contrib.image's warps (TF 1.9-1.15, ported from contrib/image/python/ops/
dense_image_warp.py, interpolate_spline.py and sparse_image_warp.py): an image resampled
along a per-pixel flow (optical flow), and along the flow a thin-plate (polyharmonic)
spline draws through a few control points' moves (SpecAugment's time warping).

TF 1.x built all three from core ops, as here; the numbers are TF 1.15's."""
import numpy as np
import tensorflow.compat.v1 as tf

EPSILON = 0.0000000001  # keeps log(0) and sqrt(0)'s gradient out of the spline's kernel


def _interpolate_bilinear(grid, query_points, name='interpolate_bilinear', indexing='ij'):
    """[batch, N, channels]: `grid` ([batch, height, width, channels]) at the float points
    `query_points` ([batch, N, 2], row and column for 'ij', x and y for 'xy'), each from
    its 4 neighbours; points outside take the nearest border's values."""
    if indexing not in ('ij', 'xy'):
        raise ValueError('Indexing mode must be \'ij\' or \'xy\'')
    with tf.name_scope(name):
        grid = tf.convert_to_tensor(grid)
        query_points = tf.convert_to_tensor(query_points)
        if grid.get_shape().ndims != 4:
            raise ValueError('Grid must be 4 dimensional. Received size: %s'
                             % grid.get_shape())
        batch_size, height, width, channels = tf.unstack(tf.shape(grid), num=4)
        shape = [batch_size, height, width, channels]
        with tf.control_dependencies([
                tf.assert_equal(len(query_points.get_shape()), 3,
                                message='Query points must be 3 dimensional.'),
                tf.assert_equal(tf.shape(query_points)[2], 2,
                                message='Query points must be size 2 in dim 2.')]):
            num_queries = tf.shape(query_points)[1]
        with tf.control_dependencies([
                tf.assert_greater_equal(height, 2, message='Grid height must be at least 2.'),
                tf.assert_greater_equal(width, 2, message='Grid width must be at least 2.')]):
            alphas, floors, ceils = [], [], []
            unstacked_query_points = tf.unstack(query_points, axis=2)

        for dim in ([0, 1] if indexing == 'ij' else [1, 0]):
            with tf.name_scope('dim-' + str(dim)):
                queries = unstacked_query_points[dim]
                # The floor stops at size - 2, so that floor + 1 is still inside the grid.
                max_floor = tf.cast(shape[dim + 1] - 2, query_points.dtype)
                floor = tf.minimum(tf.maximum(tf.constant(0.0, query_points.dtype),
                                              tf.floor(queries)), max_floor)
                int_floor = tf.cast(floor, tf.int32)
                floors.append(int_floor)
                ceils.append(int_floor + 1)
                # In the grid's dtype: it weighs the grid's values.
                alpha = tf.cast(queries - floor, grid.dtype)
                alpha = tf.minimum(tf.maximum(tf.constant(0.0, grid.dtype), alpha),
                                   tf.constant(1.0, grid.dtype))
                alphas.append(tf.expand_dims(alpha, 2))  # [b, n, 1]: the same per channel

        with tf.control_dependencies([tf.assert_less_equal(
                tf.cast(batch_size * height * width, dtype=tf.float32),
                np.iinfo(np.int32).max / 8,
                message='The image size or batch size is sufficiently large that the '
                        'linearized addresses used by array_ops.gather may exceed the '
                        'int32 limit.')]):
            flattened_grid = tf.reshape(grid, [batch_size * height * width, channels])
            batch_offsets = tf.reshape(tf.range(batch_size) * height * width, [batch_size, 1])

        def gather(y_coords, x_coords, name):
            with tf.name_scope('gather-' + name):
                linear_coordinates = batch_offsets + y_coords * width + x_coords
                gathered_values = tf.gather(flattened_grid, linear_coordinates)
                return tf.reshape(gathered_values, [batch_size, num_queries, channels])

        top_left = gather(floors[0], floors[1], 'top_left')
        top_right = gather(floors[0], ceils[1], 'top_right')
        bottom_left = gather(ceils[0], floors[1], 'bottom_left')
        bottom_right = gather(ceils[0], ceils[1], 'bottom_right')
        with tf.name_scope('interpolate'):
            interp_top = alphas[1] * (top_right - top_left) + top_left
            interp_bottom = alphas[1] * (bottom_right - bottom_left) + bottom_left
            return alphas[0] * (interp_bottom - interp_top) + interp_top


def dense_image_warp(image, flow, name='dense_image_warp'):
    """`image` ([batch, height, width, channels]) warped by the per-pixel `flow`
    ([batch, height, width, 2]): output[b, j, i, c] is image[b, j - flow[b, j, i, 0],
    i - flow[b, j, i, 1], c], bilinearly interpolated; beyond the image, its border."""
    with tf.name_scope(name):
        batch_size, height, width, channels = tf.unstack(tf.shape(image), num=4)
        # The flow is defined on the image grid: the points it reads from.
        grid_x, grid_y = tf.meshgrid(tf.range(width), tf.range(height))
        stacked_grid = tf.cast(tf.stack([grid_y, grid_x], axis=2), flow.dtype)
        query_points_on_grid = tf.expand_dims(stacked_grid, axis=0) - flow
        query_points_flattened = tf.reshape(query_points_on_grid,
                                            [batch_size, height * width, 2])
        interpolated = _interpolate_bilinear(image, query_points_flattened)
        return tf.reshape(interpolated, [batch_size, height, width, channels])


def _cross_squared_distance_matrix(x, y):
    """[b, n, m]: ||x[b, i] - y[b, j]||^2 for x [b, n, d] and y [b, m, d]."""
    x_norm_squared = tf.expand_dims(tf.reduce_sum(tf.square(x), 2), 2)
    y_norm_squared = tf.expand_dims(tf.reduce_sum(tf.square(y), 2), 1)
    return x_norm_squared - 2 * tf.matmul(x, y, adjoint_b=True) + y_norm_squared


def _pairwise_squared_distance_matrix(x):
    """[b, n, n]: ||x[b, i] - x[b, j]||^2 for x [b, n, d]."""
    x_x_transpose = tf.matmul(x, x, adjoint_b=True)
    x_norm_squared = tf.expand_dims(tf.matrix_diag_part(x_x_transpose), 2)
    return x_norm_squared - 2 * x_x_transpose + tf.transpose(x_norm_squared, [0, 2, 1])


def _phi(r, order):
    """The polyharmonic kernel of `order` on squared distances `r`
    (https://en.wikipedia.org/wiki/Polyharmonic_spline)."""
    with tf.name_scope('phi'):
        if order == 1:
            return tf.sqrt(tf.maximum(r, EPSILON))
        if order == 2:
            return 0.5 * r * tf.log(tf.maximum(r, EPSILON))
        if order == 4:
            return 0.5 * tf.square(r) * tf.log(tf.maximum(r, EPSILON))
        r = tf.maximum(r, EPSILON)
        if order % 2 == 0:
            return 0.5 * tf.pow(r, 0.5 * order) * tf.log(r)
        return tf.pow(r, 0.5 * order)


def _solve_interpolation(train_points, train_values, order, regularization_weight):
    """The spline's weights: w [b, n, k] on the centres, v [b, d + 1, k] on the linear
    term and bias, from the linear system that fits `train_values` at `train_points`."""
    b, n, _ = tf.unstack(tf.shape(train_points), num=3)
    d = tf.dimension_value(train_points.shape[-1])
    if d is None:
        raise ValueError('The dimensionality of the input points (d) must be '
                         'statically-inferrable.')
    k = tf.dimension_value(train_values.shape[-1])
    if k is None:
        raise ValueError('The dimensionality of the output values (k) must be '
                         'statically-inferrable.')
    # The names of https://en.wikipedia.org/wiki/Polyharmonic_spline: c, f, A, B.
    c, f = train_points, train_values
    with tf.name_scope('construct_linear_system'):
        matrix_a = _phi(_pairwise_squared_distance_matrix(c), order)  # [b, n, n]
        if regularization_weight > 0:
            matrix_a += regularization_weight * tf.expand_dims(tf.eye(n, dtype=c.dtype), 0)
        matrix_b = tf.concat([c, tf.ones_like(c[..., :1], dtype=c.dtype)], 2)  # [b, n, d+1]
        left_block = tf.concat([matrix_a, tf.transpose(matrix_b, [0, 2, 1])], 1)
        lhs_zeros = tf.zeros([b, d + 1, d + 1], train_points.dtype)
        right_block = tf.concat([matrix_b, lhs_zeros], 1)  # [b, n + d + 1, d + 1]
        lhs = tf.concat([left_block, right_block], 2)  # [b, n + d + 1, n + d + 1]
        rhs = tf.concat([f, tf.zeros([b, d + 1, k], train_points.dtype)], 1)
    with tf.name_scope('solve_linear_system'):
        w_v = tf.matrix_solve(lhs, rhs)
        return w_v[:, :n, :], w_v[:, n:, :]


def _apply_interpolation(query_points, train_points, w, v, order):
    """The spline of weights w, v evaluated at `query_points` [b, m, d]: [b, m, k]."""
    rbf_term = tf.matmul(_phi(_cross_squared_distance_matrix(query_points, train_points),
                              order), w)
    query_points_pad = tf.concat(
        [query_points, tf.ones_like(query_points[..., :1], train_points.dtype)], 2)
    return rbf_term + tf.matmul(query_points_pad, v)


def interpolate_spline(train_points, train_values, query_points, order,
                       regularization_weight=0.0, name='interpolate_spline'):
    """[b, m, k]: the polyharmonic spline of `order` (2: thin-plate) through `train_values`
    ([b, n, k]) at `train_points` ([b, n, d]), evaluated at `query_points` ([b, m, d]);
    with `regularization_weight` > 0, a smoother one that fits them only nearly. d and k
    must be known statically; b, n and m need not."""
    with tf.name_scope(name):
        train_points = tf.convert_to_tensor(train_points)
        train_values = tf.convert_to_tensor(train_values)
        query_points = tf.convert_to_tensor(query_points)
        with tf.name_scope('solve'):
            w, v = _solve_interpolation(train_points, train_values, order,
                                        regularization_weight)
        with tf.name_scope('predict'):
            return _apply_interpolation(query_points, train_points, w, v, order)


def _expand_to_minibatch(np_array, batch_size):
    return np.tile(np.expand_dims(np_array, 0), [batch_size] + [1] * np_array.ndim)


def _get_boundary_locations(image_height, image_width, num_points_per_edge):
    """Evenly spaced points along the image's edges, corners included."""
    y_range = np.linspace(0, image_height - 1, num_points_per_edge + 2)
    x_range = np.linspace(0, image_width - 1, num_points_per_edge + 2)
    ys, xs = np.meshgrid(y_range, x_range, indexing='ij')
    is_boundary = np.logical_or(np.logical_or(xs == 0, xs == image_width - 1),
                                np.logical_or(ys == 0, ys == image_height - 1))
    return np.stack([ys[is_boundary], xs[is_boundary]], axis=-1)


def _add_zero_flow_controls_at_boundary(control_point_locations, control_point_flows,
                                        image_height, image_width, boundary_points_per_edge):
    """The control points and their flows, with 4 + 4 * boundary_points_per_edge more on
    the image's border that do not move."""
    batch_size = tf.dimension_value(control_point_locations.shape[0])
    locations = _get_boundary_locations(image_height, image_width, boundary_points_per_edge)
    flows = np.zeros([locations.shape[0], 2])
    dtype = control_point_locations.dtype
    locations = tf.constant(_expand_to_minibatch(locations, batch_size), dtype=dtype)
    flows = tf.constant(_expand_to_minibatch(flows, batch_size), dtype=dtype)
    return (tf.concat([control_point_locations, locations], 1),
            tf.concat([control_point_flows, flows], 1))


def sparse_image_warp(image, source_control_point_locations, dest_control_point_locations,
                      interpolation_order=2, regularization_weight=0.0, num_boundary_points=0,
                      name='sparse_image_warp'):
    """(`image` warped so that each source control point's pixel lands on its destination,
    the dense flow field [batch, height, width, 2] that does it): a polyharmonic spline
    (interpolate_spline) spreads the points' moves over the image, which dense_image_warp
    follows. `num_boundary_points` > 0 pins the border: 1 its 4 corners, n the corners
    and n - 1 points along each edge. The image's shape must be known statically."""
    image = tf.convert_to_tensor(image)
    source_control_point_locations = tf.convert_to_tensor(source_control_point_locations)
    dest_control_point_locations = tf.convert_to_tensor(dest_control_point_locations)
    control_point_flows = dest_control_point_locations - source_control_point_locations
    with tf.name_scope(name):
        batch_size, image_height, image_width, _ = image.get_shape().as_list()
        # Where the spline is evaluated: every pixel.
        y_grid, x_grid = np.meshgrid(np.linspace(0, image_height - 1, image_height),
                                     np.linspace(0, image_width - 1, image_width),
                                     indexing='ij')
        grid_locations = np.reshape(np.stack((y_grid, x_grid), -1),
                                    [image_height * image_width, 2])
        grid_locations = tf.constant(_expand_to_minibatch(grid_locations, batch_size),
                                     image.dtype)
        if num_boundary_points > 0:
            dest_control_point_locations, control_point_flows = (
                _add_zero_flow_controls_at_boundary(
                    dest_control_point_locations, control_point_flows, image_height,
                    image_width, num_boundary_points - 1))
        flattened_flows = interpolate_spline(
            dest_control_point_locations, control_point_flows, grid_locations,
            interpolation_order, regularization_weight)
        dense_flows = tf.reshape(flattened_flows, [batch_size, image_height, image_width, 2])
        return dense_image_warp(image, dense_flows), dense_flows
