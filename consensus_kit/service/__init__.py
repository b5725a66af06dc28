"""The operations of consensus-kit: permissions checked, one transaction each, events appended."""
