"""Following up assigned actions (มอบหมาย): progress notes, done by the owner unit, closed by the secretariat."""
