"""Positions for a Drawing, so the HTML page can draw it with no program or library besides Python.

Left to right by topological layers, as the seeds draw forward passes
(the usual layered, or Sugiyama, method, kept small):
1. each node gets a layer one past its deepest input; a loop's iterations get
   layers after the previous iteration's, so each iteration is its own band;
   an input with no inputs of its own (a parameter, a constant) sits just left
   of where it is first read, outside any iteration's band;
2. an edge that skips layers passes through a point in each layer between, so
   it runs between nodes instead of through them; one value's edges share their
   points (a parameter read by every iteration runs along one lane);
3. within a layer, nodes and points move toward the average height of their
   neighbours (a few sweeps left to right and back), keeping their order and
   spacing, so chains come out straight;
4. each loop iteration's box encloses its nodes.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from .drawing import Drawing

CHAR_WIDTH = 7.8           # of the 13px monospace font the page draws labels in
LINE_HEIGHT = 16
LAYER_GAP = 34             # horizontal space between layers
NODE_GAP = 18              # vertical space between nodes of a layer
LANE_HEIGHT = 6            # what an edge passing through a layer takes of it
CLUSTER_PAD = 10
CLUSTER_LABEL = 16         # room for an iteration box's caption
_SWEEPS = 8


@dataclass
class Box:
    x: float                   # centre
    y: float
    width: float
    height: float

    @property
    def left(self) -> float:
        return self.x - self.width / 2

    @property
    def right(self) -> float:
        return self.x + self.width / 2

    @property
    def top(self) -> float:
        return self.y - self.height / 2

    @property
    def bottom(self) -> float:
        return self.y + self.height / 2


@dataclass
class Layout:
    boxes: dict = field(default_factory=dict)      # node id -> Box
    routes: list = field(default_factory=list)     # per edge: [(x, y), ...] from source to target
    clusters: dict = field(default_factory=dict)   # cluster id -> Box
    width: float = 0.0
    height: float = 0.0


def node_size(node) -> tuple[float, float]:
    text_width = max(len(text) for text, _ in node.lines) * CHAR_WIDTH
    text_height = len(node.lines) * LINE_HEIGHT
    if node.kind in ("operation", "elided"):
        return text_width + 20, text_height + 12
    # an ellipse around the text's box: each half-axis sqrt(2) times the box's half-side
    return max(text_width * math.sqrt(2) + 8, 52), max(text_height * math.sqrt(2) + 8, 44)


def layout(drawing: Drawing) -> Layout:
    layer = _layers(drawing, *_neighbours(drawing.edges))
    sizes = {n.id: node_size(n) for n in drawing.nodes}
    links: dict[tuple, None] = {}             # edges between neighbouring layers, lane points included
    paths = []
    for source, target in drawing.edges:
        lanes = [("lane", source, k) for k in range(layer[source] + 1, layer[target])]
        for lane in lanes:
            sizes[lane], layer[lane] = (0.0, LANE_HEIGHT), lane[2]
        path = [source, *lanes, target]
        links.update(dict.fromkeys(zip(path, path[1:])))
        paths.append(path)
    inputs, outputs = _neighbours(links)

    columns: dict[int, list] = {}
    for item in sizes:                         # nodes in the order computed, lanes after
        columns.setdefault(layer[item], []).append(item)
    ordered = sorted(columns)
    boxes = {}
    x = 0.0
    for k in ordered:
        width = max(sizes[i][0] for i in columns[k])
        for i in columns[k]:
            boxes[i] = Box(x + width / 2, 0.0, *sizes[i])
        x += width + LAYER_GAP
    for column in columns.values():
        _pack(column, [0.0] * len(column), boxes)
    for sweep in range(_SWEEPS):
        forward = sweep % 2 == 0
        neighbours = inputs if forward else outputs
        for k in (ordered if forward else reversed(ordered)):
            column = columns[k]
            wanted = [_mean([boxes[j].y for j in neighbours.get(i, ())], boxes[i].y) for i in column]
            order = sorted(range(len(column)), key=lambda n: (wanted[n], n))
            column[:] = [column[n] for n in order]
            _pack(column, [wanted[n] for n in order], boxes)

    result = Layout(boxes={n.id: boxes[n.id] for n in drawing.nodes})
    for path in paths:
        first, last = boxes[path[0]], boxes[path[-1]]
        result.routes.append([(first.right, first.y)] + [(boxes[p].x, boxes[p].y) for p in path[1:-1]]
                             + [(last.left, last.y)])
    _clusters(drawing, result)
    _shift_to_origin(result)
    return result


def _neighbours(edges) -> tuple[dict, dict]:
    inputs: dict = {}
    outputs: dict = {}
    for a, b in edges:
        inputs.setdefault(b, []).append(a)
        outputs.setdefault(a, []).append(b)
    return inputs, outputs


def _layers(drawing, inputs, outputs) -> dict:
    """Each node's layer. An iteration's band starts after the previous iteration of its loop and
    after what its enclosing iteration computed before it, so iteration boxes never overlap."""
    layer: dict[str, int] = {}
    band_start: dict[str, int] = {}           # cluster -> its first layer
    deepest: dict[str, int] = {}              # cluster -> its last layer so far
    previous: dict[int, str] = {}             # loop run -> its latest iteration's cluster
    for node in drawing.nodes:
        chain = drawing.chain(node.cluster)
        for depth, cluster_id in enumerate(chain):
            if cluster_id in band_start:
                continue
            run = drawing.clusters[cluster_id].run
            before = [deepest[previous[run]]] if run in previous else []
            if depth:
                before.append(deepest.get(chain[depth - 1], band_start[chain[depth - 1]] - 1))
            band_start[cluster_id] = max(before, default=-1) + 1
            previous[run] = cluster_id
        floor = max([band_start[c] for c in chain], default=0)
        layer[node.id] = max([floor] + [layer[i] + 1 for i in inputs.get(node.id, ())])
        for cluster_id in chain:
            deepest[cluster_id] = max(deepest.get(cluster_id, -1), layer[node.id])

    # a source (parameter, constant, loop index) moves next to its first reader, but stays out
    # of iteration boxes it is not part of
    chains = {n.id: drawing.chain(n.cluster) for n in drawing.nodes}

    def start(reader: str, depth: int) -> int:
        chain = chains[reader]
        return band_start[chain[depth]] if len(chain) > depth else layer[reader]

    for node in reversed(drawing.nodes):
        if node.id not in inputs and node.id in outputs:
            depth = len(chains[node.id])
            first = min(start(j, depth) for j in outputs[node.id]) - 1
            layer[node.id] = max(layer[node.id], first) if depth else first
    leftmost = min(layer.values(), default=0)
    for node in drawing.nodes:                 # an unused parameter: with the other inputs
        if node.id not in inputs and node.id not in outputs and node.cluster is None:
            layer[node.id] = leftmost
    return layer


def _pack(column, wanted, boxes) -> None:
    """Place a layer's items top to bottom, as near `wanted` as their spacing allows (least squares).

    With offsets o_i (the least distance of item i below the first), y_i = z_i + o_i and
    the constraint becomes z non-decreasing: isotonic regression by pooling adjacent violators.
    """
    offsets, total = [], 0.0
    for n, item in enumerate(column):
        if n:
            above, below = boxes[column[n - 1]], boxes[item]
            gap = NODE_GAP if above.width and below.width else LANE_HEIGHT
            total += (above.height + below.height) / 2 + gap
        offsets.append(total)
    blocks: list[list] = []                    # [mean, count]
    for target, offset in zip(wanted, offsets):
        blocks.append([target - offset, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            mean, count = blocks.pop()
            blocks[-1] = [(blocks[-1][0] * blocks[-1][1] + mean * count) / (blocks[-1][1] + count),
                          blocks[-1][1] + count]
    n = 0
    for mean, count in blocks:
        for _ in range(count):
            boxes[column[n]].y = mean + offsets[n]
            n += 1


def _clusters(drawing, result) -> None:
    """Each iteration's box: around its nodes and the boxes of the iterations nested in it."""
    members: dict[str, list] = {}
    for node in drawing.nodes:
        chain = drawing.chain(node.cluster)
        if chain:
            members.setdefault(chain[-1], []).append(result.boxes[node.id])
    depth = {c: len(drawing.chain(c)) for c in drawing.clusters}
    boxes: dict[str, Box] = {}
    for cluster_id in sorted(drawing.clusters, key=lambda c: -depth[c]):      # inner boxes first
        inside = members.get(cluster_id, []) + [b for c, b in boxes.items()
                                                if drawing.clusters[c].parent == cluster_id]
        left = min(b.left for b in inside) - CLUSTER_PAD
        right = max(b.right for b in inside) + CLUSTER_PAD
        top = min(b.top for b in inside) - CLUSTER_PAD - CLUSTER_LABEL
        bottom = max(b.bottom for b in inside) + CLUSTER_PAD
        boxes[cluster_id] = Box((left + right) / 2, (top + bottom) / 2, right - left, bottom - top)
    result.clusters = {c: boxes[c] for c in drawing.clusters}                # outer ones first


def _shift_to_origin(result) -> None:
    everything = list(result.boxes.values()) + list(result.clusters.values())
    if not everything:
        return
    points = [p for route in result.routes for p in route]
    left = min([b.left for b in everything] + [x for x, _ in points])
    top = min([b.top for b in everything] + [y - LANE_HEIGHT for _, y in points])
    for b in everything:
        b.x -= left
        b.y -= top
    result.routes = [[(x - left, y - top) for x, y in route] for route in result.routes]
    result.width = max([b.right for b in everything] + [x for route in result.routes for x, _ in route])
    result.height = max([b.bottom for b in everything] + [y + LANE_HEIGHT for route in result.routes
                                                          for _, y in route])


def _mean(values, default: float) -> float:
    return sum(values) / len(values) if values else default
