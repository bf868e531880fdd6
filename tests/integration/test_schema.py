"""The JSON Schema accepts every bundled lab and rejects broken shapes,
checked with an independent validator (Debian's python3-jsonschema)."""
import glob
import json
import os
import unittest

import jsonschema
import yaml

from natlab_test import SOURCE_DIR


def load_yaml(path):
    with open(path) as f:
        return yaml.safe_load(f)


class Schema(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(os.path.join(SOURCE_DIR, "schemas", "topology.schema.json")) as f:
            cls.schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(cls.schema)
        cls.validator = jsonschema.Draft202012Validator(cls.schema)

    def test_every_bundled_lab_validates(self):
        labs = sorted(glob.glob(os.path.join(SOURCE_DIR, "labs", "*.yaml")))
        self.assertGreaterEqual(len(labs), 3)
        for path in labs:
            errors = [e.message for e in self.validator.iter_errors(load_yaml(path))]
            self.assertEqual(errors, [], path)

    def test_broken_shapes_are_rejected(self):
        for name in ("unknown-keys", "unsafe-names", "shapes", "sysctls", "nat", "nat-behaviour"):
            doc = load_yaml(os.path.join(SOURCE_DIR, "tests", "unit", "bad", name + ".yaml"))
            self.assertFalse(self.validator.is_valid(doc), name)

    def test_generated_lab_validates(self):
        import subprocess
        text = subprocess.run([os.path.join(SOURCE_DIR, "scripts", "gen-lab"), "3"], capture_output=True, text=True,
                              check=True).stdout
        self.assertTrue(self.validator.is_valid(yaml.safe_load(text)))


if __name__ == "__main__":
    unittest.main()
