import json
from conftest import WUFB_CONFIG, graph_calls, writes

def test_smoke(graph, ansible):
    run = ansible([{'name': 'one', 'graphops.intune.device_update_state': {
        'device_configuration_id': WUFB_CONFIG, 'device_id': 'dev-1', 'status': 'UPTODATE',
        'last_scan_date_time': '2016-12-31T23:59:18.0955018-08:00'}},
        {'name': 'bulk', 'graphops.intune.device_update_state': {
        'device_configuration_id': WUFB_CONFIG, 'states': [{'device_id': 'dev-%d' % i, 'status': 'failed'} for i in range(30)]}},
        {'name': 'info', 'graphops.intune.device_update_state_info': {'device_configuration_id': WUFB_CONFIG, 'status': 'FAILED'}}], diff=True)
    print(run.output)
    for r in run.results:
        print(json.dumps(r, indent=1)[:3000])
    for e in graph.requests():
        print(e['method'], e['path'], e['status'], e['in_batch'], json.dumps(e['body'])[:200])
    assert 0
